"""Is the store well formed: `workbench validate`, and files that will not load shown for reading.

files.py    every file of a store (or one incident folder) checked, every problem listed
rawview.py  an unreadable file as lines a person can read (bytes that are not UTF-8 as `\\xNN`)
"""

__all__ = ["files", "rawview"]
