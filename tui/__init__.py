"""hamish's Textual app. Everything that knows about terminals lives here; the model lives in annotations/."""
