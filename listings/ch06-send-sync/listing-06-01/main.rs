use std::cell::{Cell, OnceCell, RefCell, UnsafeCell};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::atomic::AtomicPtr;
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};
use std::thread::JoinHandle;

// ANCHOR: here
/// `Is::<T>::SEND` is the inherent constant when `T: Send`, because path resolution prefers an
/// inherent associated item to a trait's; when the bound does not hold, that impl does not
/// apply, and the name falls through to the trait's default.
struct Is<T: ?Sized>(PhantomData<T>);

trait Otherwise {
    const SEND: bool = false;
    const SYNC: bool = false;
}
impl<T: ?Sized> Otherwise for Is<T> {}

#[allow(dead_code)] // the compiler sees the trait's constants as used instead
impl<T: ?Sized + Send> Is<T> {
    const SEND: bool = true;
}
#[allow(dead_code)]
impl<T: ?Sized + Sync> Is<T> {
    const SYNC: bool = true;
}

macro_rules! row {
    ($t:ty) => {
        println!(
            "{:<34} {:<5} {}",
            stringify!($t),
            if Is::<$t>::SEND { "Send" } else { "-" },
            if Is::<$t>::SYNC { "Sync" } else { "-" }
        )
    };
}

fn main() {
    println!("{:<34} {:<5} {}", "type", "Send", "Sync");
    row!(i32);
    row!(String);
    row!(Rc<i32>);
    row!(Arc<i32>);
    row!(Cell<i32>);
    row!(RefCell<i32>);
    row!(OnceCell<i32>);
    row!(UnsafeCell<i32>);
    row!(Cell<Rc<i32>>);
    row!(&'static Cell<i32>);
    row!(&'static mut Cell<i32>);
    row!(Arc<Cell<i32>>);
    row!(Arc<RefCell<i32>>);
    row!(Mutex<Cell<i32>>);
    row!(RwLock<Cell<i32>>);
    row!(Mutex<Rc<i32>>);
    row!(Arc<Mutex<i32>>);
    row!(MutexGuard<'static, i32>);
    row!(MutexGuard<'static, Cell<i32>>);
    row!(Sender<i32>);
    row!(SyncSender<i32>);
    row!(Receiver<i32>);
    row!(*const u8);
    row!(*mut u8);
    row!(AtomicPtr<u8>);
    row!(Box<dyn Fn()>);
    row!(Box<dyn Fn() + Send>);
    row!(OnceLock<i32>);
    row!(OnceLock<Cell<i32>>);
    row!(JoinHandle<i32>);
    row!(PhantomData<*const ()>);
    row!(Vec<Rc<i32>>);
}
// ANCHOR_END: here
