/* Internal to src/scan: the index the walk (scan.c) and merge (load.c)
 * fill and the analysis (analyse.c, mismatch.c) reads. */
#ifndef CS_SCAN_INT_H
#define CS_SCAN_INT_H

#include <pthread.h>

#include "scan/scan.h"
#include "util/arena.h"
#include "util/map.h"

#define SX_NONE		UINT32_MAX

/* Object flags. */
#define SX_LOCKED	0x01u
#define SX_CA		0x02u
#define SX_SELF		0x04u
#define SX_VALIDITY	0x08u
#define SX_SUBJECT	0x10u

struct sx_file {
	const char	*path;		/* as walked (or as recorded); arena */
	uint32_t	 origin;	/* string id; SX_NONE: this host */
	uint32_t	 top;		/* string id of origin + top directory */
	uint32_t	 dir;		/* string id of origin + directory */
	uint32_t	 first;		/* its first object in objs */
	uint32_t	 nobj;
};

struct sx_obj {
	uint32_t	 file;
	uint32_t	 key;		/* index in keys, SX_NONE without */
	int64_t		 not_after;
	int32_t		 index;		/* position in its file */
	uint8_t		 kind;		/* enum cs_kind */
	uint8_t		 flags;
	unsigned char	 subject[8];
	struct cs_vec	*findings;	/* --lint: struct cs_finding * */
};

struct sx_key {
	unsigned char	 sha[32];
	const unsigned char *spki;	/* normalised DER (arena), or NULL */
	size_t		 spki_len;
};

/* A file by the 64-bit hash of its key (sx_file_key). */
struct sx_pathix {
	uint64_t	 hash;
	uint32_t	 file;
};

/* A certificate and key a web server config names, as written. */
struct sx_conf {
	uint32_t	 file;		/* the config */
	char		*cert;
	char		*key;		/* NULL: in the certificate's file */
	const char	*server;
	int		 line;
};

struct cs_scan {
	struct cs_scan_opts	 opts;
	unsigned		 threads;

	struct sx_file		*files;
	size_t			 nfiles, capfiles;
	struct sx_obj		*objs;
	size_t			 nobjs, capobjs;
	struct sx_key		*keys;
	size_t			 nkeys, capkeys;
	struct cs_map		 keymap;	/* sha -> key */
	struct sx_pathix	*pathix;	/* files by hash of their key,
						 * built for configs only */
	size_t			 npathix;	/* files when it was built */
	struct cs_map		 inodes;	/* dev, ino -> 1 */
	struct cs_map		 links;		/* link path -> string id */
	struct cs_map		 strmap;	/* string -> id */
	struct cs_vec		 strings;	/* const char *, by id: strmap's
						 * copies */
	struct cs_arena		 arena;		/* file paths, SPKIs */
	struct cs_vec		 confs;		/* struct sx_conf * */
	struct cs_vec		 roots;		/* char * */
	struct cs_vec		 errors;	/* struct cs_diag * */
	size_t			 files_read;
	size_t			 skipped;
	int			 merged;	/* fed from records */
	uint32_t		*bykey;		/* from cs_scan_report_begin: */
	uint32_t		*keystart;	/* objects grouped by key */
	char			*objpath;	/* object_at's path buffer */
	struct sx_factors	*factors;	/* batch GCD, from
						 * cs_scan_report_begin to its
						 * end (analyse.c) */
	int			 known;		/* cs_scan_report_known ran */
	uint32_t		 norigins;	/* distinct origins seen */
};

/* Interns s (len bytes); its id, or SX_NONE when out of memory. */
uint32_t	 sx_intern(struct cs_scan *s, const char *str, size_t len);
const char	*sx_string(const struct cs_scan *s, uint32_t id);
/* The key of SPKI digest sha, added when new; its index or SX_NONE. A
 * copy of spki (NULL: not known) is kept, the first one given. */
uint32_t	 sx_add_key(struct cs_scan *s, const unsigned char sha[32],
		    const unsigned char *spki, size_t spki_len);
struct sx_file	*sx_add_file(struct cs_scan *s, const char *path,
		    uint32_t origin, uint32_t top);
struct sx_obj	*sx_add_obj(struct cs_scan *s);
/* "path" or "path#i" (with "origin:" when several origins), malloc'ed. */
char		*sx_obj_path(const struct cs_scan *s, uint32_t o);
/* The same, owned by the scan (the file's own path when that is all):
 * for the reports, which borrow it. Not thread-safe. NULL: no memory. */
const char	*sx_obj_path_ref(struct cs_scan *s, uint32_t o);
/* "origin\npath" normalised (the origin only when set), malloc'ed. */
char		*sx_file_key(const struct cs_scan *s, uint32_t origin,
		    const char *path);
/* Normalises a path in place: no "//", "/./", "dir/.."; returns it. */
char		*sx_normpath(char *p);
int		 sx_error(struct cs_scan *s, const char *path,
		    const char *msg);

/* analyse.c / mismatch.c */
/* Waits for the batch GCD cs_scan_report_begin started, if any, and frees
 * it; 0, or -1 when it failed. */
int		 sx_factors_end(struct cs_scan *s);
int		 sx_mismatches(struct cs_scan *s, struct cs_fleet *fl,
		    const uint32_t *bykey, const uint32_t *keystart);
int		 sx_weak_keys(struct cs_scan *s, struct cs_fleet *fl,
		    const uint32_t *bykey, const uint32_t *keystart);

#endif
