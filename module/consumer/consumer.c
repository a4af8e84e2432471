// SPDX-License-Identifier: GPL-2.0
/*
 * consumer - uses the functions exporter.ko exports (the user half of kmodlint's
 * two-module reference case). Loading it pins exporter (/proc/modules shows
 * "exporter ... 1 consumer"), so exporter cannot be unloaded before it.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include <exporter.h>

static int __init consumer_init(void)
{
	long value = exporter_counter_add(1);

	pr_info("consumer: loaded (exporter counter %ld)\n", value);
	return 0;
}

static void __exit consumer_exit(void)
{
	long value = exporter_counter_add(-1);

	pr_info("consumer: unloaded (exporter counter %ld)\n", value);
}

module_init(consumer_init);
module_exit(consumer_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodlint reference: uses the symbols exporter.ko exports");
MODULE_AUTHOR("kmodlint");
