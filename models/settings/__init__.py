"""The owner's settings: the files the owner edits beside the warehouse (settings.toml, categories.toml), read
strictly, and who may open the app. Below the warehouse: a build reads the category rules."""
