"""datadialog: outputs."""
