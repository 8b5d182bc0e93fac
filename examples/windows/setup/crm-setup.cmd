@echo off
rem Stand-in for the vendor setup in the Windows example: upgrades the
rem installation folder given in DRESS_INSTALL_DIR to version 2026.1.
rem The folder holds spaces and parentheses ("Program Files (x86)"): it is
rem only used inside quotes and never inside a ( ) block, where an unquoted
rem ")" would end the block.
rem The last message is written in the OEM code page (850/437), as a French
rem setup does: dress decodes it to "Mise a jour terminee" with its accents.
setlocal
if "%DRESS_INSTALL_DIR%"=="" goto nodir
echo Sage CRM setup (Windows example) - upgrading %DRESS_INSTALLATION% in "%DRESS_INSTALL_DIR%"
if not exist "%DRESS_INSTALL_DIR%\version.txt" goto noinstall
set /p OLD=<"%DRESS_INSTALL_DIR%\version.txt"
echo found version %OLD%
echo upgrading program files...
echo upgrading web site...
echo upgrading tomcat...
echo upgrading database scripts...
echo keeping CustomPages as they are...
echo warning: the interactive dashboard needs Tomcat to be fully started 1>&2
>"%DRESS_INSTALL_DIR%\version.txt" echo 2026.1
echo upgrade finished: version 2026.1
echo Mise … jour termin‚e
exit /b 0

:nodir
echo DRESS_INSTALL_DIR is not set 1>&2
exit /b 2

:noinstall
echo no installation found in "%DRESS_INSTALL_DIR%" 1>&2
exit /b 2
