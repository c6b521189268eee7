/*
 * arena.h - memory handed out in pieces from large blocks and released all
 * at once, for the millions of small strings and keys a fleet's index
 * holds until the end of a run: a string costs its length and its NUL, a
 * piece its size rounded up for alignment, where malloc adds 8 to 24
 * bytes of its own to each.
 *
 * Ownership: the arena owns every piece; nothing is freed alone;
 * cs_arena_release frees them all and leaves the arena empty and reusable.
 * Pieces never move.
 */
#ifndef CS_UTIL_ARENA_H
#define CS_UTIL_ARENA_H

#include <stddef.h>

struct cs_arena_block;

struct cs_arena {
	struct cs_arena_block	*head;		/* the newest block */
	size_t			 used;		/* bytes of it handed out */
	size_t			 size;		/* bytes it holds */
	size_t			 total;		/* bytes of every block */
};

/* n bytes aligned for any scalar, uninitialised; NULL when out of memory
 * (or n too large to add the block's own header to). n may be 0. */
void	*cs_arena_alloc(struct cs_arena *a, size_t n);
/* A copy of len bytes followed by a NUL; NULL when out of memory. */
char	*cs_arena_strndup(struct cs_arena *a, const void *s, size_t len);
/* Bytes the arena holds from the system, its blocks' headers included. */
size_t	 cs_arena_bytes(const struct cs_arena *a);
void	 cs_arena_release(struct cs_arena *a);

#endif
