/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's one event loop: epoll for file descriptors, a list of
 * one-shot timers on CLOCK_MONOTONIC (milliseconds), no threads. Every
 * callback runs on the loop; a callback may add, change or delete any fd or
 * timer, including its own.
 */
#ifndef SSTP_LOOP_H
#define SSTP_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

/*
 * The object a member is embedded in, as the kernel's container_of(): a
 * callback gets the loop_fd or loop_timer inside its object and finds the
 * object with it. The pointer's type is checked against the member's.
 */
#define container_of(ptr, type, member) ({				\
	const __typeof__(((type *)0)->member) *container_of_p = (ptr);	\
	(type *)(void *)((char *)container_of_p - offsetof(type, member)); })

struct loop;

struct loop_fd {
	int fd;
	uint32_t events;		/* EPOLLIN / EPOLLOUT currently asked for */
	void (*cb)(struct loop_fd *lfd, uint32_t events);
};

struct loop_timer {
	uint64_t when;			/* loop_now() ms; 0 = not armed */
	void (*cb)(struct loop_timer *t);
	struct loop_timer *prev, *next;	/* armed timers, unsorted */
};

struct loop {
	int epfd;
	bool stop;
	struct loop_timer *timers;
	/* The batch being dispatched: loop_fd_del clears its entries so that
	 * a callback never runs for an fd freed earlier in the same batch. */
	struct epoll_event *batch;
	int batch_n;
};

uint64_t loop_now(void);

int loop_init(struct loop *l);
void loop_uninit(struct loop *l);

int loop_fd_add(struct loop *l, struct loop_fd *lfd, int fd, uint32_t events,
		void (*cb)(struct loop_fd *, uint32_t));
int loop_fd_mod(struct loop *l, struct loop_fd *lfd, uint32_t events);
void loop_fd_del(struct loop *l, struct loop_fd *lfd);

/* Arm (or re-arm) a timer to fire at absolute time `when` (loop_now() ms). */
void loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t when,
		    void (*cb)(struct loop_timer *));
void loop_timer_cancel(struct loop *l, struct loop_timer *t);
static inline bool loop_timer_armed(const struct loop_timer *t)
{
	return t->when != 0;
}

/* Run one iteration: wait for fds or the earliest timer, dispatch. */
int loop_once(struct loop *l, int max_wait_ms);
int loop_run(struct loop *l);
static inline void loop_stop(struct loop *l)
{
	l->stop = true;
}

#endif /* SSTP_LOOP_H */
