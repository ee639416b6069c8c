"""datadialog: transforms."""
