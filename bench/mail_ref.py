#!/usr/bin/env python3
"""Reference: count the messages of an mbox with an address in From, To, Cc,
Bcc, Reply-To or Sender, using only the standard library (mailbox, email).

    python3 bench/mail_ref.py ARCHIVE.mbox ADDRESS
"""
import mailbox
import sys
from email.utils import getaddresses

HEADERS = ("from", "to", "cc", "bcc", "reply-to", "sender")


def main():
    path, address = sys.argv[1], sys.argv[2].lower()
    count = 0
    for message in mailbox.mbox(path, create=False):
        values = []
        for h in HEADERS:
            values.extend(str(v) for v in message.get_all(h, []))
        if any(a.lower() == address for _, a in getaddresses(values)):
            count += 1
    print(count)


if __name__ == "__main__":
    main()
