function crmInit(){ return true; }
