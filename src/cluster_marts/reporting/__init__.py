"""What people read: figures, markdown and HTML reports, JSON / YAML profile export."""
