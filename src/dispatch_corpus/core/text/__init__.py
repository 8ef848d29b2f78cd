"""Pure text core: decode bytes, normalize text, split paragraphs."""
