"""The pure safeguarding policy core: no Django, no I/O, no clock."""
