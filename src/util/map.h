/*
 * map.h - a hash map from byte strings to 32-bit values, for the indexes
 * scan builds (SPKI digests, paths, directory names). Open addressing with
 * linear probing, the table at most 70% full; keys are copied into an
 * arena of the map's own (no allocation of their own, so an entry costs
 * some 34 bytes of table and its key's length); nothing is ever removed.
 *
 * Ownership: the map owns its copies of the keys, which never move;
 * cs_map_release frees them and the table.
 */
#ifndef CS_UTIL_MAP_H
#define CS_UTIL_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

struct cs_map_slot {
	uint64_t	 hash;
	const char	*key;		/* NULL: empty slot */
	uint32_t	 len;
	uint32_t	 value;
};

struct cs_map {
	struct cs_map_slot	*slots;
	size_t			 cap;	/* a power of two, or 0 */
	size_t			 n;
	struct cs_arena		 keys;
};

/* FNV-1a, 64 bits: also the shard hash (stable across machines). */
uint64_t	 cs_hash64(const void *p, size_t len);

/* The value stored under key, or NULL. */
uint32_t	*cs_map_get(const struct cs_map *m, const void *key, size_t len);
/*
 * The value slot for key, inserting value when the key is new (*added is
 * then 1, else 0). NULL when out of memory.
 */
uint32_t	*cs_map_put(struct cs_map *m, const void *key, size_t len,
		    uint32_t value, int *added);
/* The same, and *copy is the map's own copy of the key, followed by a NUL
 * (a string interned once, valid until cs_map_release). */
uint32_t	*cs_map_intern(struct cs_map *m, const void *key, size_t len,
		    uint32_t value, int *added, const char **copy);
/* Bytes the map holds: its table and its keys. */
size_t		 cs_map_bytes(const struct cs_map *m);
void		 cs_map_release(struct cs_map *m);

#endif
