"""The one writer: every source's rows and records reach the catalog through this package.

common: the policies and SQL builders every path shares; rows: CSV folders; pages: whole movies
and the merge of a film saved again; rt_dataset: the RT dataset's bulk path; imdb: IMDb's files
(its parts in imdb_parts, its merge with page movies in imdb_merge, title.principals and
name.basics read by a second process in imdb_part)."""
