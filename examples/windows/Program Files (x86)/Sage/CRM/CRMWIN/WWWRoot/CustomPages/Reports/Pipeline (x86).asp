<% Response.Write("Pipeline report"); %>
