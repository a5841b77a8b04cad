"""The monthly Excel: a unit's report template to download, and its upload checked whole.

template.py lays out the workbook, signature.py signs what it is for, upload.py checks a filled
file and saves it all or nothing, bulk.py takes many files (or a zip) for the office and the
`load_reports` command, access.py decides who may download and upload.
"""
