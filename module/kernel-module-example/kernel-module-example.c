// SPDX-License-Identifier: GPL-2.0
/*
 * kernel-module-example - the classic first kernel module.
 *
 * It uses the legacy entry point names init_module() and cleanup_module()
 * instead of the module_init()/module_exit() macros: the kernel's module
 * loader finds them by name.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int init_module(void)
{
	printk(KERN_INFO "Example Module Initialized\n");
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "Example Module Cleaned\n");
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodlint reference: the classic first kernel module");
MODULE_AUTHOR("kmodlint");
