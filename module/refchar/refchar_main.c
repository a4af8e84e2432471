// SPDX-License-Identifier: GPL-2.0
/*
 * refchar - kmodlint's reference character-device module: module init and exit.
 *
 * refchar_init() acquires, in this order: the data buffer, a char device region,
 * the cdev, a device class, the device (/dev/refchar), its sysfs attribute,
 * /proc/refchar, a workqueue, a self-rearming timer and a kthread. Each error
 * path releases every earlier step in reverse order; refchar_exit() releases
 * everything in reverse order.
 */
#include <linux/cdev.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kdev_t.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "refchar.h"

/* Shared state, declared in refchar.h. */
DEFINE_MUTEX(refchar_buf_lock);
char *refchar_buf;
size_t refchar_buf_len;

DEFINE_SPINLOCK(refchar_tick_lock);
unsigned int refchar_period_ms = REFCHAR_PERIOD_MS;
unsigned long refchar_timer_ticks;
bool refchar_stopping;

atomic_t refchar_open_count = ATOMIC_INIT(0);
atomic_t refchar_bytes_written = ATOMIC_INIT(0);
atomic_t refchar_work_runs = ATOMIC_INIT(0);
atomic_t refchar_thread_ticks = ATOMIC_INIT(0);

struct workqueue_struct *refchar_wq;
struct work_struct refchar_work;

/* Objects only init and exit touch. */
static dev_t refchar_devt;
static struct cdev refchar_cdev;
static struct class *refchar_class;
static struct device *refchar_device;
static struct proc_dir_entry *refchar_proc_entry;
static struct timer_list refchar_timer;
static struct task_struct *refchar_thread;

/* Stops the self-rearming timer: no re-arm once refchar_stopping is set. */
static void refchar_stop_timer(void)
{
	spin_lock_bh(&refchar_tick_lock);
	refchar_stopping = true;
	spin_unlock_bh(&refchar_tick_lock);
	del_timer_sync(&refchar_timer);
}

static int __init refchar_init(void)
{
	int ret;

	refchar_buf = kmalloc(REFCHAR_BUF_SIZE, GFP_KERNEL);
	if (!refchar_buf)
		return -ENOMEM;

	ret = alloc_chrdev_region(&refchar_devt, 0, 1, REFCHAR_NAME);
	if (ret)
		goto err_free_buf;

	cdev_init(&refchar_cdev, &refchar_fops);
	refchar_cdev.owner = THIS_MODULE;
	ret = cdev_add(&refchar_cdev, refchar_devt, 1);
	if (ret)
		goto err_unregister_region;

	refchar_class = class_create(THIS_MODULE, REFCHAR_NAME);
	if (IS_ERR(refchar_class)) {
		ret = PTR_ERR(refchar_class);
		goto err_cdev_del;
	}

	refchar_device = device_create(refchar_class, NULL, refchar_devt, NULL, REFCHAR_NAME);
	if (IS_ERR(refchar_device)) {
		ret = PTR_ERR(refchar_device);
		goto err_class_destroy;
	}

	ret = device_create_file(refchar_device, &dev_attr_period_ms);
	if (ret)
		goto err_device_destroy;

	refchar_proc_entry = proc_create(REFCHAR_NAME, 0444, NULL, &refchar_proc_ops);
	if (!refchar_proc_entry) {
		ret = -ENOMEM;
		goto err_remove_file;
	}

	refchar_wq = alloc_workqueue("refchar_wq", 0, 0);
	if (!refchar_wq) {
		ret = -ENOMEM;
		goto err_proc_remove;
	}
	INIT_WORK(&refchar_work, refchar_work_fn);

	timer_setup(&refchar_timer, refchar_timer_fn, 0);
	mod_timer(&refchar_timer, jiffies + msecs_to_jiffies(REFCHAR_PERIOD_MS));

	refchar_thread = kthread_run(refchar_thread_fn, NULL, "refchar_thread");
	if (IS_ERR(refchar_thread)) {
		ret = PTR_ERR(refchar_thread);
		goto err_stop_timer;
	}

	pr_info("refchar: loaded (major %d, /dev/%s, /proc/%s)\n",
		MAJOR(refchar_devt), REFCHAR_NAME, REFCHAR_NAME);
	return 0;

err_stop_timer:
	refchar_stop_timer();
	cancel_work_sync(&refchar_work);
	destroy_workqueue(refchar_wq);
err_proc_remove:
	proc_remove(refchar_proc_entry);
err_remove_file:
	device_remove_file(refchar_device, &dev_attr_period_ms);
err_device_destroy:
	device_destroy(refchar_class, refchar_devt);
err_class_destroy:
	class_destroy(refchar_class);
err_cdev_del:
	cdev_del(&refchar_cdev);
err_unregister_region:
	unregister_chrdev_region(refchar_devt, 1);
err_free_buf:
	kfree(refchar_buf);
	refchar_buf = NULL;
	pr_err("refchar: init failed (%d)\n", ret);
	return ret;
}

static void __exit refchar_exit(void)
{
	unsigned long ticks;

	kthread_stop(refchar_thread);
	refchar_stop_timer();
	cancel_work_sync(&refchar_work);
	destroy_workqueue(refchar_wq);
	proc_remove(refchar_proc_entry);
	device_remove_file(refchar_device, &dev_attr_period_ms);
	device_destroy(refchar_class, refchar_devt);
	class_destroy(refchar_class);
	cdev_del(&refchar_cdev);
	unregister_chrdev_region(refchar_devt, 1);
	kfree(refchar_buf);

	spin_lock_bh(&refchar_tick_lock);
	ticks = refchar_timer_ticks;
	spin_unlock_bh(&refchar_tick_lock);
	pr_info("refchar: unloaded (%lu timer ticks, %d work runs, %d kthread ticks)\n",
		ticks, atomic_read(&refchar_work_runs),
		atomic_read(&refchar_thread_ticks));
}

module_init(refchar_init);
module_exit(refchar_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodlint reference: character device with /proc, sysfs, timer, work and kthread");
MODULE_AUTHOR("kmodlint");
