<%@ Language=JavaScript %>
<!-- custom company page: shows the account manager -->
<% Response.Write("Account manager: " + CRM.GetContextInfo("company","comp_primaryuserid")); %>
