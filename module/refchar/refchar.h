/* SPDX-License-Identifier: GPL-2.0 */
/*
 * refchar - kmodlint's reference character-device module: private header.
 *
 * Every object shared between the module's files is declared here (and only
 * here); each one is defined in exactly one .c file. Everything else is static.
 *
 * Execution contexts and locking:
 *   - file operations, /proc and sysfs callbacks, the work item and the kthread
 *     run in process context (they may sleep);
 *   - the timer callback runs in softirq context (it must not sleep).
 *
 *   refchar_buf, refchar_buf_len           refchar_buf_lock (mutex; process context only)
 *   refchar_period_ms, refchar_timer_ticks,
 *   refchar_stopping                       refchar_tick_lock (spinlock; shared with the
 *                                          timer: spin_lock() in the timer callback,
 *                                          spin_lock_bh() in process context)
 *   refchar_open_count, refchar_bytes_written,
 *   refchar_work_runs, refchar_thread_ticks  atomic_t, no lock
 */
#ifndef REFCHAR_H
#define REFCHAR_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#define REFCHAR_NAME		"refchar"
#define REFCHAR_BUF_SIZE	4096
#define REFCHAR_PERIOD_MS	100	/* initial timer period */
#define REFCHAR_PERIOD_MIN_MS	10
#define REFCHAR_PERIOD_MAX_MS	10000
#define REFCHAR_THREAD_SLEEP_MS	200

/* refchar_main.c: state shared by the callbacks, see the locking rules above. */
extern struct mutex refchar_buf_lock;
extern char *refchar_buf;		/* kmalloc'd, REFCHAR_BUF_SIZE bytes */
extern size_t refchar_buf_len;

extern spinlock_t refchar_tick_lock;
extern unsigned int refchar_period_ms;
extern unsigned long refchar_timer_ticks;
extern bool refchar_stopping;

extern atomic_t refchar_open_count;
extern atomic_t refchar_bytes_written;
extern atomic_t refchar_work_runs;
extern atomic_t refchar_thread_ticks;

extern struct workqueue_struct *refchar_wq;
extern struct work_struct refchar_work;

/* refchar_dev.c: the character device. */
extern const struct file_operations refchar_fops;

/* refchar_proc.c: /proc/refchar. */
extern const struct proc_ops refchar_proc_ops;

/* refchar_sysfs.c: /sys/class/refchar/refchar/period_ms. */
extern struct device_attribute dev_attr_period_ms;

/* refchar_worker.c: timer callback, work function and kthread body. */
void refchar_timer_fn(struct timer_list *timer);
void refchar_work_fn(struct work_struct *work);
int refchar_thread_fn(void *data);

/* Periodic events log their first few occurrences, then one in 20. */
static inline bool refchar_should_log(unsigned long n)
{
	return n <= 3 || n % 20 == 0;
}

#endif /* REFCHAR_H */
