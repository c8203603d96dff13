import RosterCore
