"""Thai text helpers below every feature that writes or compares Thai: dates in B.E., digits,
word breaks and keeping phrases together (``thai``); comparison keys for text written by
different people and programs (``normalise``). Plans, documents, importers, OIT and the web app
import from here; this package imports none of them."""
