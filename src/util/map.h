/*
 * map.h - a hash map from byte strings to 32-bit values, for the indexes
 * scan builds (SPKI digests, paths, directory names). Open addressing with
 * linear probing; keys are copied; nothing is ever removed.
 *
 * Ownership: the map owns its copies of the keys; cs_map_release frees
 * them and the table.
 */
#ifndef CS_UTIL_MAP_H
#define CS_UTIL_MAP_H

#include <stddef.h>
#include <stdint.h>

struct cs_map_slot {
	uint64_t	 hash;
	unsigned char	*key;		/* NULL: empty slot */
	size_t		 len;
	uint32_t	 value;
};

struct cs_map {
	struct cs_map_slot	*slots;
	size_t			 cap;	/* a power of two, or 0 */
	size_t			 n;
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
void		 cs_map_release(struct cs_map *m);

#endif
