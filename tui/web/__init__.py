"""Serving the app to browsers (`hamish serve`): textual-serve with tokens, a session cap and local fonts."""
