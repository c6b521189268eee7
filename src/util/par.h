/*
 * par.h - one loop over [0, n) shared by threads, each taking the next
 * items not yet taken rather than a fixed share: where the loop shares
 * the cores with other work (a scan's batch GCD and weak-key checks run
 * beside its report), a thread the scheduler sets aside then holds the
 * others up by the items it took last, not by a whole share.
 *
 * Each thread makes its own state with begin(arg) and frees it with
 * end(state); item(state, i) does item i. The calling thread is one of
 * the threads; when no other can be started it does every item.
 */
#ifndef CS_UTIL_PAR_H
#define CS_UTIL_PAR_H

#include <stddef.h>

struct cs_par {
	void	*(*begin)(const void *arg);	/* NULL: out of memory */
	int	 (*item)(void *state, size_t i);	/* -1: failed */
	void	 (*end)(void *state);
	const void *arg;
};

/* Items i in [0, n) on up to threads threads. 0, or -1 when an item
 * failed (its thread takes no more) or a thread could not make its
 * state (the others take its items). */
int	 cs_par_for(const struct cs_par *p, size_t n, unsigned threads);

#endif
