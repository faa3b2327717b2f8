"""Victims' and children's safety records, kept apart from the case: contact details encrypted at rest,
never-disclose markers, specialist workers (partner link worker, victim liaison officer, IDVA) and safety
contacts and plans. Who may see them is decided in safeguard.accounts.access; what is shown, in redaction."""
