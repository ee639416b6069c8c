"""datadialog: flows."""
