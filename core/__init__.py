"""What every app shares and no app owns (HackSoft's ``common``). Imports no app."""
