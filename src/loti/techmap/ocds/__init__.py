"""Importing published contract notices (OCDS): reading releases from a stream (`reading`),
compiling each process's releases into the fields we use (`compiling`), reading those as
the technology map's terms (`notices`), writing notices and contracts (`importing`), and the
pages of uploads, open tenders and differences to settle (`views`)."""
