@echo off
rem Verify step of the Windows example: the trial upgrade left version
rem 2026.1 and the customised pages in place. %1 is the installation folder
rem (with spaces and parentheses: used inside quotes only).
setlocal
set "DIR=%~1"
if not exist "%DIR%\version.txt" goto missing
set /p V=<"%DIR%\version.txt"
echo installed version: %V%
if not "%V%"=="2026.1" goto wrong
if not exist "%DIR%\WWWRoot\CustomPages\Company Summary.asp" goto nopage
if not exist "%DIR%\WWWRoot\CustomPages\Reports\Pipeline (x86).asp" goto nopage
echo CustomPages present
exit /b 0

:missing
echo no version.txt in "%DIR%" 1>&2
exit /b 1

:wrong
echo expected 2026.1 1>&2
exit /b 1

:nopage
echo a page of CustomPages is missing in "%DIR%" 1>&2
exit /b 1
