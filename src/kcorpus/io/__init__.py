"""Stage 1, sources: files, folders, globs, stdin and table files read into documents; word-list files."""
