<%
// Customised company summary (kept across upgrades)
Response.Write("Company summary");
%>
