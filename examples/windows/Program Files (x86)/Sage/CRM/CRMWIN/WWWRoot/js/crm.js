// crm.js 2025.2
