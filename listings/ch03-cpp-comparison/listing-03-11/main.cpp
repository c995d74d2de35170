#include <iostream>
#include <mutex>
#include <thread>

struct Account {
    std::mutex m;  // protects balance, says the comment; nothing else says so
    long balance = 0;
};

void deposit(Account& acc, long amount) {
    std::lock_guard<std::mutex> guard(acc.m);
    acc.balance += amount;
}

void add_interest(Account& acc) {
    acc.balance += 1;  // forgot the lock: compiles without a warning
}

int main() {
    Account acc;
    std::thread a([&acc] {
        for (int i = 0; i < 100000; ++i) deposit(acc, 1);
    });
    std::thread b([&acc] {
        for (int i = 0; i < 100000; ++i) add_interest(acc);
    });
    a.join();
    b.join();
    std::cout << "balance = " << acc.balance << " (expected 200000)\n";
}
