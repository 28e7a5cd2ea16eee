/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A doubly linked list with a sentinel, as the kernel's list_head: an
 * element leaves its list in constant time without knowing which list
 * that is, and an empty list is no special case. container_of()
 * (daemon/loop.h) finds the object around an element.
 */
#ifndef SSTP_LIST_H
#define SSTP_LIST_H

#include <stdbool.h>

struct list_head {
	struct list_head *next, *prev;
};

static inline void list_init(struct list_head *h)
{
	h->next = h->prev = h;
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

/* n first on the list h. */
static inline void list_add(struct list_head *n, struct list_head *h)
{
	n->next = h->next;
	n->prev = h;
	h->next->prev = n;
	h->next = n;
}

/* n off its list, and on none (list_empty(n)). */
static inline void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

#define list_for_each(pos, h) for ((pos) = (h)->next; (pos) != (h); (pos) = (pos)->next)

#endif /* SSTP_LIST_H */
