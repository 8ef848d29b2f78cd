"""Pure labeling: paragraph roles, sections, paragraph flags and document fields."""
