"""The case timeline interchange format (`safeguard-timeline/1`): schema, validation, import, export, replay."""
