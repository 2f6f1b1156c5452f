"""Reading a report's text: which report it is (identify), its sections, and whether its text layer is readable."""
