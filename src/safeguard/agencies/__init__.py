"""Working with other agencies: requests to police and children's social care (drafted, sent, chased,
returned, used) and the partner-agency queue that answers them; MARAC and MAPPA; external controls and
breach reports; Clare's Law disclosure decisions. Case changes go through record_event; access is decided in
safeguard.accounts.access; sensitive text is sealed and shown through safeguard.victims.redaction."""
