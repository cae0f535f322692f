//! tokio's side of the runtime benchmark: one workload per process, the same
//! six as runtime-support/bench/vs_tokio.cpp, with the same sizes and the
//! same shape (who spawns what, channel capacities, what is awaited).
//!
//!   tokio-peer <workload> <current|multi> <size>
//!
//! prints one line `<workload> <flavor> <operations> <seconds>`; the time
//! covers the workload inside the runtime, not building the runtime.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};

async fn spawn_join(n: u64) -> u64 {
    let mut handles = Vec::with_capacity(n as usize);
    for _ in 0..n {
        handles.push(tokio::spawn(async {}));
    }
    for result in futures::future::join_all(handles).await {
        result.expect("an empty task failed");
    }
    n
}

async fn channel(n: u64) -> u64 {
    let (tx, mut rx) = mpsc::channel::<u64>(100);
    let producer = tokio::spawn(async move {
        for i in 0..n {
            tx.send(i).await.expect("receiver gone");
        }
    });
    let mut sum = 0u64;
    while let Some(v) = rx.recv().await {
        sum = sum.wrapping_add(v);
    }
    producer.await.expect("producer failed");
    assert_eq!(sum, n.wrapping_mul(n.wrapping_sub(1)) / 2);
    n
}

async fn ping_pong(n: u64) -> u64 {
    let (ping_tx, mut ping_rx) = mpsc::channel::<u64>(1);
    let (pong_tx, mut pong_rx) = mpsc::channel::<u64>(1);
    let ponger = tokio::spawn(async move {
        while let Some(v) = ping_rx.recv().await {
            pong_tx.send(v + 1).await.expect("pinger gone");
        }
    });
    for i in 0..n {
        ping_tx.send(i).await.expect("ponger gone");
        let back = pong_rx.recv().await.expect("ponger gone");
        assert_eq!(back, i + 1);
    }
    drop(ping_tx);
    ponger.await.expect("ponger failed");
    n
}

const FANOUT_LIMIT: u32 = 10;

async fn semaphore_fanout(n: u64) -> u64 {
    let limit = Arc::new(Semaphore::new(FANOUT_LIMIT as usize));
    for _ in 0..n {
        let permit = limit.clone().acquire_owned().await.expect("closed");
        tokio::spawn(async move {
            tokio::task::yield_now().await;
            drop(permit);
        });
    }
    // Every task has finished once all permits are back.
    let _all = limit.acquire_many(FANOUT_LIMIT).await.expect("closed");
    n
}

async fn select_timer(n: u64) -> u64 {
    let (tx, mut rx) = mpsc::channel::<u64>(100);
    let producer = tokio::spawn(async move {
        for i in 0..n {
            tx.send(i).await.expect("receiver gone");
        }
    });
    let (mut received, mut timeouts) = (0u64, 0u64);
    loop {
        tokio::select! {
            v = rx.recv() => match v {
                Some(_) => received += 1,
                None => break,
            },
            _ = tokio::time::sleep(Duration::from_secs(1)) => timeouts += 1,
        }
    }
    producer.await.expect("producer failed");
    assert_eq!(received, n);
    assert_eq!(timeouts, 0);
    n
}

async fn sleeps(n: u64) -> u64 {
    let mut handles = Vec::with_capacity(n as usize);
    for _ in 0..n {
        handles.push(tokio::spawn(tokio::time::sleep(Duration::from_millis(1))));
    }
    for result in futures::future::join_all(handles).await {
        result.expect("a sleeping task failed");
    }
    n
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: tokio-peer <workload> <current|multi> <size>");
        std::process::exit(2);
    }
    let (workload, flavor) = (args[1].clone(), args[2].clone());
    let n: u64 = args[3].parse().unwrap_or_else(|_| {
        eprintln!("tokio-peer: size '{}' is not a number", args[3]);
        std::process::exit(2);
    });
    let runtime = match flavor.as_str() {
        "current" => tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build(),
        "multi" => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .build(),
        other => {
            eprintln!("tokio-peer: unknown flavor '{}'", other);
            std::process::exit(2);
        }
    }
    .expect("cannot build the runtime");
    let work = workload.clone();
    let start = Instant::now();
    // The workload runs as a spawned task, as asyncrt's block_on runs its
    // task on a worker (tokio's block_on would poll it on this thread).
    let ops = runtime.block_on(async move {
        tokio::spawn(async move {
            match work.as_str() {
                "spawn_join" => Some(spawn_join(n).await),
                "channel" => Some(channel(n).await),
                "ping_pong" => Some(ping_pong(n).await),
                "semaphore_fanout" => Some(semaphore_fanout(n).await),
                "select_timer" => Some(select_timer(n).await),
                // tokio's select! always takes the futures directly.
                "select_direct" => Some(select_timer(n).await),
                "sleeps" => Some(sleeps(n).await),
                _ => None,
            }
        })
        .await
        .expect("the workload failed")
    });
    let seconds = start.elapsed().as_secs_f64();
    match ops {
        Some(ops) => println!("{} {} {} {:.9}", workload, flavor, ops, seconds),
        None => {
            eprintln!("tokio-peer: unknown workload '{}'", workload);
            std::process::exit(2);
        }
    }
}
