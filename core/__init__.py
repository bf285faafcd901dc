"""What every app shares: view helpers, formatting. It imports no app of the portal."""
