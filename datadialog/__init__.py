"""datadialog: from social-service measurement exports to prepared reflection meetings."""

__version__ = "0.1.0"
