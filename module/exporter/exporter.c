// SPDX-License-Identifier: GPL-2.0
/*
 * exporter - owns a counter protected by a mutex and exports accessors to it
 * (the provider half of kmodlint's two-module reference case; see consumer).
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>

#include "exporter.h"

static DEFINE_MUTEX(exporter_lock);
static long exporter_counter;	/* protected by exporter_lock */

long exporter_counter_add(long delta)
{
	long value;

	mutex_lock(&exporter_lock);
	exporter_counter += delta;
	value = exporter_counter;
	mutex_unlock(&exporter_lock);
	return value;
}
EXPORT_SYMBOL_GPL(exporter_counter_add);

long exporter_counter_read(void)
{
	long value;

	mutex_lock(&exporter_lock);
	value = exporter_counter;
	mutex_unlock(&exporter_lock);
	return value;
}
EXPORT_SYMBOL_GPL(exporter_counter_read);

static int __init exporter_init(void)
{
	pr_info("exporter: loaded\n");
	return 0;
}

static void __exit exporter_exit(void)
{
	pr_info("exporter: unloaded (counter %ld)\n", exporter_counter_read());
}

module_init(exporter_init);
module_exit(exporter_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodlint reference: exports a mutex-protected counter");
MODULE_AUTHOR("kmodlint");
