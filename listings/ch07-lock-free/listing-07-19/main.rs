use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

struct Node<T> {
    value: T,
    next: *mut Node<T>,
}

// ANCHOR: here
/// A Treiber stack: a linked list whose head is swapped in with compare-exchange. UNSOUND as
/// written: `pop` frees a node that another thread's `pop` may still be reading.
pub struct Stack<T> {
    head: AtomicPtr<Node<T>>,
}

impl<T> Stack<T> {
    pub fn push(&self, value: T) {
        let node = Box::into_raw(Box::new(Node { value, next: ptr::null_mut() }));
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            // SAFETY: `node` is ours until the compare-exchange publishes it.
            unsafe { (*node).next = head };
            match self.head.compare_exchange_weak(head, node, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => return,
                Err(current) => head = current,
            }
        }
    }

    pub fn pop(&self) -> Option<T> {
        let mut head = self.head.load(Ordering::Acquire);
        loop {
            if head.is_null() {
                return None;
            }
            // (1) Reads the node. Another thread may have popped and freed it already.
            let next = unsafe { (*head).next };
            // (2) Succeeds if the head is `head` again, even if it was popped, freed, and a new
            // node was allocated at the same address in between (ABA): then `next` is stale.
            match self.head.compare_exchange_weak(head, next, Ordering::Acquire, Ordering::Acquire) {
                Ok(_) => {
                    // (3) Frees the node, while (1) may be running on another thread.
                    let node = unsafe { Box::from_raw(head) };
                    return Some(node.value);
                }
                Err(current) => head = current,
            }
        }
    }
}
// ANCHOR_END: here

fn main() {
    let stack = Stack { head: AtomicPtr::new(ptr::null_mut()) };
    stack.push(1);
    assert_eq!(stack.pop(), Some(1));
}
