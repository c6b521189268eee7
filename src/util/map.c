/* Byte-string hash map (see map.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/map.h"

uint64_t
cs_hash64(const void *p, size_t len)
{
	const unsigned char	*s = p;
	uint64_t		 h = 0xcbf29ce484222325ULL;

	while (len-- > 0) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static struct cs_map_slot *
find(const struct cs_map *m, uint64_t h, const void *key, size_t len)
{
	struct cs_map_slot	*s;
	size_t			 i;

	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		s = &m->slots[i];
		if (s->key == NULL || (s->hash == h && s->len == len &&
		    memcmp(s->key, key, len) == 0))
			return s;
	}
}

uint32_t *
cs_map_get(const struct cs_map *m, const void *key, size_t len)
{
	struct cs_map_slot	*s;

	if (m->cap == 0 || len > UINT32_MAX)
		return NULL;
	s = find(m, cs_hash64(key, len), key, len);
	return s->key != NULL ? &s->value : NULL;
}

/* Doubles the table: past 70% full, linear probing slows down. */
static int
grow(struct cs_map *m)
{
	struct cs_map_slot	*big;
	size_t			 cap, i, j;

	cap = m->cap != 0 ? m->cap * 2 : 64;
	if (cap > SIZE_MAX / sizeof(*big) ||
	    (big = calloc(cap, sizeof(*big))) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key == NULL)
			continue;
		for (j = m->slots[i].hash & (cap - 1); big[j].key != NULL;
		    j = (j + 1) & (cap - 1))
			;
		big[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = big;
	m->cap = cap;
	return 0;
}

uint32_t *
cs_map_intern(struct cs_map *m, const void *key, size_t len, uint32_t value,
    int *added, const char **copy)
{
	struct cs_map_slot	*s;
	uint64_t		 h = cs_hash64(key, len);

	*added = 0;
	if (len > UINT32_MAX ||
	    ((m->n + 1) * 10 > m->cap * 7 && grow(m) == -1))
		return NULL;
	s = find(m, h, key, len);
	if (s->key == NULL) {
		if ((s->key = cs_arena_strndup(&m->keys, key, len)) == NULL)
			return NULL;
		s->hash = h;
		s->len = (uint32_t)len;
		s->value = value;
		m->n++;
		*added = 1;
	}
	if (copy != NULL)
		*copy = s->key;
	return &s->value;
}

uint32_t *
cs_map_put(struct cs_map *m, const void *key, size_t len, uint32_t value,
    int *added)
{
	return cs_map_intern(m, key, len, value, added, NULL);
}

size_t
cs_map_bytes(const struct cs_map *m)
{
	return m->cap * sizeof(*m->slots) + cs_arena_bytes(&m->keys);
}

void
cs_map_release(struct cs_map *m)
{
	free(m->slots);
	cs_arena_release(&m->keys);
	memset(m, 0, sizeof(*m));
}
