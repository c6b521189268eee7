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

	if (m->cap == 0)
		return NULL;
	s = find(m, cs_hash64(key, len), key, len);
	return s->key != NULL ? &s->value : NULL;
}

/* Doubles the table (load factor stays under one half). */
static int
grow(struct cs_map *m)
{
	struct cs_map		 big = { 0 };
	struct cs_map_slot	*s;
	size_t			 i;

	big.cap = m->cap != 0 ? m->cap * 2 : 64;
	if ((big.slots = calloc(big.cap, sizeof(*big.slots))) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].key == NULL)
			continue;
		s = find(&big, m->slots[i].hash, m->slots[i].key,
		    m->slots[i].len);
		*s = m->slots[i];
	}
	big.n = m->n;
	free(m->slots);
	*m = big;
	return 0;
}

uint32_t *
cs_map_put(struct cs_map *m, const void *key, size_t len, uint32_t value,
    int *added)
{
	struct cs_map_slot	*s;
	uint64_t		 h = cs_hash64(key, len);

	*added = 0;
	if ((m->n + 1) * 2 > m->cap && grow(m) == -1)
		return NULL;
	s = find(m, h, key, len);
	if (s->key != NULL)
		return &s->value;
	if ((s->key = malloc(len != 0 ? len : 1)) == NULL)
		return NULL;
	memcpy(s->key, key, len);
	s->hash = h;
	s->len = len;
	s->value = value;
	m->n++;
	*added = 1;
	return &s->value;
}

void
cs_map_release(struct cs_map *m)
{
	size_t	 i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
