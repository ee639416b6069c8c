"""datadialog: checks."""
