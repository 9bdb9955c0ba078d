/* SPDX-License-Identifier: GPL-2.0 */
/* The map's key, shared by trace_prog_kern.c and trace_load_and_stats.c. */
#ifndef EXCEPTION_KEY_H
#define EXCEPTION_KEY_H

#include <linux/types.h>

struct exception_key {
	__s32 ifindex;
	__u32 action;	/* what the XDP program returned */
};

#endif /* EXCEPTION_KEY_H */
