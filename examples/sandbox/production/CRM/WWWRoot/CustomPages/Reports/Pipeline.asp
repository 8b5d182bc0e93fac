<%@ Language=JavaScript %>
<!-- monthly pipeline report -->
