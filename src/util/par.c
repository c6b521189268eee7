#include "config.h"

#include "util/par.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct par_thread {
	const struct cs_par	*p;
	atomic_size_t		*next;
	size_t			 n, grab;
	pthread_t		 tid;
	int			 started;
	int			 failed;
};

static void *
par_main(void *arg)
{
	struct par_thread	*t = arg;
	void			*state;
	size_t			 i, end;

	if ((state = t->p->begin(t->p->arg)) == NULL) {
		t->failed = 1;
		return NULL;
	}
	while (!t->failed && (i = atomic_fetch_add(t->next, t->grab)) < t->n)
		for (end = t->n - i > t->grab ? i + t->grab : t->n;
		    i < end && !t->failed; i++)
			if (t->p->item(state, i) == -1)
				t->failed = 1;
	t->p->end(state);
	return NULL;
}

int
cs_par_for(const struct cs_par *p, size_t n, unsigned threads)
{
	struct par_thread	 one, *ts;
	atomic_size_t		 next;
	size_t			 nt, k, grab;
	int			 rc = 0;

	if (n == 0)
		return 0;
	nt = threads < 1 ? 1 : threads;
	if (nt > n)
		nt = n;
	if (nt == 1 || (ts = calloc(nt, sizeof(*ts))) == NULL) {
		ts = &one;		/* this thread alone */
		nt = 1;
	}
	/* an eighth of a fair share at a time */
	grab = n / (nt * 8) > 0 ? n / (nt * 8) : 1;
	atomic_init(&next, 0);
	for (k = 0; k < nt; k++) {
		ts[k] = (struct par_thread){ .p = p, .next = &next, .n = n,
		    .grab = grab };
		ts[k].started = k > 0 &&
		    pthread_create(&ts[k].tid, NULL, par_main, &ts[k]) == 0;
	}
	(void)par_main(&ts[0]);
	for (k = 0; k < nt; k++) {
		if (ts[k].started)
			pthread_join(ts[k].tid, NULL);
		if (ts[k].failed)
			rc = -1;
	}
	if (ts != &one)
		free(ts);
	return rc;
}
