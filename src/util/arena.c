/* Pieces of large blocks, released together (see arena.h). */
#include "config.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

/*
 * A block is 64 KiB, or one piece alone when the piece is larger than a
 * quarter of that: a big piece then neither wastes the rest of the current
 * block nor gets a block sized by it that later pieces would half fill.
 */
#define BLOCK_SIZE	((size_t)64 << 10)
#define ALIGN		alignof(max_align_t)

struct cs_arena_block {
	struct cs_arena_block	*next;
	alignas(max_align_t) unsigned char data[];
};

static struct cs_arena_block *
block_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct cs_arena_block))
		return NULL;
	return malloc(sizeof(struct cs_arena_block) + size);
}

/* A block of its own for a big piece, linked behind the current block so
 * that the current block keeps serving small pieces. */
static void *
alloc_big(struct cs_arena *a, size_t n)
{
	struct cs_arena_block	*b;

	if ((b = block_new(n)) == NULL)
		return NULL;
	if (a->head != NULL) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = NULL;
		a->head = b;
		a->used = a->size = n;
	}
	a->total += sizeof(*b) + n;
	return b->data;
}

/* n bytes at a multiple of align (a power of two up to ALIGN). */
static void *
alloc(struct cs_arena *a, size_t n, size_t align)
{
	struct cs_arena_block	*b;
	size_t			 at;
	void			*p;

	if (n > SIZE_MAX - ALIGN)
		return NULL;
	if (n == 0)
		n = 1;
	if (a->head != NULL) {
		at = (a->used + align - 1) & ~(align - 1);
		if (at <= a->size && a->size - at >= n) {
			p = a->head->data + at;
			a->used = at + n;
			return p;
		}
	}
	if (n > BLOCK_SIZE / 4)
		return alloc_big(a, n);
	if ((b = block_new(BLOCK_SIZE)) == NULL)
		return NULL;
	b->next = a->head;
	a->head = b;
	a->size = BLOCK_SIZE;
	a->used = n;
	a->total += sizeof(*b) + BLOCK_SIZE;
	return b->data;
}

void *
cs_arena_alloc(struct cs_arena *a, size_t n)
{
	return alloc(a, n, ALIGN);
}

char *
cs_arena_strndup(struct cs_arena *a, const void *s, size_t len)
{
	char	*p;

	if (len == SIZE_MAX || (p = alloc(a, len + 1, 1)) == NULL)
		return NULL;
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

size_t
cs_arena_bytes(const struct cs_arena *a)
{
	return a->total;
}

void
cs_arena_release(struct cs_arena *a)
{
	struct cs_arena_block	*b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	memset(a, 0, sizeof(*a));
}
