"""Versioned releases: semver rules, manifest, Croissant, diff, verify, publish and cut (I/O)."""
