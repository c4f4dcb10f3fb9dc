"""Contact re-qualification: twice a year, contacts unverified for 6 months confirm their data."""
